print("worker: not yet implemented")

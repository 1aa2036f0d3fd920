print("joelclaw: not yet implemented")

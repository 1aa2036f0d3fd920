// Placeholder: the Engine module is being written.

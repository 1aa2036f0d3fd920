// Placeholder: the HTTP module is being written.

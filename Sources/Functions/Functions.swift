// Placeholder: the Functions module is being written.

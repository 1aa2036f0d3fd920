// Placeholder: the InngestProtocol module is being written.

// Tests for InngestProtocol go here.

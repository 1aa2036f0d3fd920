// Tests for HTTP go here.

// Tests for Functions go here.

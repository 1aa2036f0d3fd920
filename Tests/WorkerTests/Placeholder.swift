// Tests for Worker go here.

// Tests for Hashing go here.

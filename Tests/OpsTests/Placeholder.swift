// Tests for Ops go here.

"""The certification workflow of applications: declared as data, performed by one service."""

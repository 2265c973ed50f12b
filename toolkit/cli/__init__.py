"""The command line ``kontrakt``: thin commands over the package (:mod:`toolkit.cli.app`)."""

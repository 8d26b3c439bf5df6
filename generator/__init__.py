"""erfaringsbank — static-site generator for the Leve hele livet knowledge bank."""

__version__ = "0.1.0"

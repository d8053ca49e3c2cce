"""众创 zhongchuang: makerspace certification and cultivation, policy as code."""

__version__ = "0.1.0"

"""Checkpoints of the authors' code into keras-gan networks (`keras-gan import`).

`state_dict`: a PyTorch state dict as NumPy arrays and the layout conversions; one module per
source repository (`studiogan`).
"""

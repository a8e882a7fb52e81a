"""Network blocks several families share: MLPs (2-D data), DCGAN (images), the 1-D toy."""

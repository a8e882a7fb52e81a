"""`python -m keras_gan.cli ...` is `keras-gan ...`."""

import sys

from keras_gan.cli import main

sys.exit(main())

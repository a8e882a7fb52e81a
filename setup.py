"""keras-gan: a Keras 3 model zoo of generative adversarial networks."""

import re
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent
VERSION = re.search(
    r'__version__ = "([^"]+)"', (HERE / "keras_gan" / "__init__.py").read_text()
).group(1)

setup(
    name="keras-gan",
    version=VERSION,
    description="GANs as Keras 3 models: fit(), tf.distribute, TensorBoard, TF Serving.",
    long_description=(HERE / "README.md").read_text(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=(
        find_packages(include=["keras_gan", "keras_gan.*"])
        + ["keras_gan.zoo", "keras_gan.export"]
        + [f"keras_gan.zoo.{package}" for package in find_packages("zoo")]
    ),
    # zoo/ and export/ stay at the top of the repository but install inside keras_gan,
    # so no top-level `zoo` or `export` module collides with another project's.
    package_dir={"keras_gan.zoo": "zoo", "keras_gan.export": "export"},
    install_requires=[
        "tensorflow>=2.21,<2.22",
        "keras>=3.10",
        "tensorflow-probability>=0.25",
        "tf-keras>=2.21,<2.22",
        "tensorflow-datasets>=4.9",
        "tensorboard>=2.21",
        "scikit-learn>=1.3",
        "numpy",
        "scipy",
        "pillow>=10.1",  # text in pictures (bundled font); TensorBoard requires Pillow too
    ],
    extras_require={
        # Reading the authors' PyTorch checkpoints (`keras-gan import ... G.pth`); .safetensors
        # and .npz state dicts need no PyTorch.
        "convert": ["torch>=2.0"],
        # ONNX copies of the portable signatures (`keras-gan export --format onnx`).
        "onnx": ["tf2onnx>=1.16", "onnxruntime>=1.17"],
        "test": [
            "pytest>=8",
            # `make test` runs on two workers, a test file each (`-n 2 --dist loadfile`).
            "pytest-xdist>=3.5",
            "tensorflow-serving-api>=2.21,<2.22",
            "tf2onnx>=1.16",
            "onnxruntime>=1.17",
        ],
    },
    entry_points={"console_scripts": ["keras-gan=keras_gan.cli:main"]},
)

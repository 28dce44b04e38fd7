"""The end-to-end Keras anchor: import Keras, rebuild a model from its config, print summary().

    KERAS_BACKEND=torch python bench/keras_summary.py bench/.cache/resnet50.json

This is what a user without modelmath runs to see the same table. It is kept minimal on
purpose: the whole process, from interpreter start to exit, is what gets timed.
"""

import sys
from pathlib import Path

import keras


def main(config_json: str) -> None:
    """Rebuild the model that ``model.to_json()`` wrote to ``config_json`` and summarise it."""
    model = keras.models.model_from_json(Path(config_json).read_text())
    model.summary()


if __name__ == "__main__":
    main(sys.argv[1])

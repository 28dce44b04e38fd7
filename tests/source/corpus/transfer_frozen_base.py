# ruff: noqa  (tutorial code kept as people write it)
"""A frozen convolutional base inside a classifier: trainable and non-trainable counts."""
import keras
from keras import layers

base = keras.Sequential(
    [
        keras.Input(shape=(64, 64, 3)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.BatchNormalization(),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.BatchNormalization(),
        layers.GlobalAveragePooling2D(),
    ],
    name="base",
)
base.trainable = False

model = keras.Sequential([base, layers.Dense(32, activation="relu"), layers.Dense(2)])
model.summary()

# ruff: noqa  (tutorial code kept as people write it)
"""Data augmentation and a feature extractor as Sequential models inside a functional one."""
import keras
from keras import layers

augment = keras.Sequential([layers.RandomFlip("horizontal"), layers.RandomRotation(0.1)],
                           name="augment")
features = keras.Sequential(
    [
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(),
        layers.Conv2D(64, 3, activation="relu"),
        layers.GlobalAveragePooling2D(),
    ],
    name="features",
)

inputs = keras.Input(shape=(64, 64, 3))
x = augment(inputs)
x = layers.Rescaling(1.0 / 255)(x)
x = features(x)
outputs = layers.Dense(3, activation="softmax")(x)
model = keras.Model(inputs, outputs)
model.summary()

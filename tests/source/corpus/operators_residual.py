# ruff: noqa  (tutorial code kept as people write it)
"""Residual connections written with + on Keras tensors (become `add` operations)."""
import keras
from keras import layers

inputs = keras.Input(shape=(64,))
x = layers.Dense(64, activation="relu")(inputs)
for _ in range(2):
    y = layers.Dense(64, activation="relu")(x)
    y = layers.Dense(64)(y)
    x = x + y
x = layers.LayerNormalization()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.summary()

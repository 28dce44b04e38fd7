# ruff: noqa  (tutorial code kept as people write it)
"""Slicing Keras tensors: the last time step of an LSTM, the first token, strided steps
with a new axis, an ellipsis, and inside a custom layer's call()."""
import keras
from keras import layers
i = keras.Input(shape=(10, 8))
h = layers.LSTM(6, return_sequences=True)(i)
last = h[:, -1, :]
cls = h[:, 0]
mid = h[:, 2:8:2, None]
x = layers.Concatenate()([last, cls])
keras.Model(i, [layers.Dense(2)(x), mid[..., 0]]).summary()


class LastStep(layers.Layer):
    def call(self, x):
        return x[:, -1] * 2.0


j = keras.Input(shape=(5, 3))
keras.Model(j, layers.Dense(2)(LastStep()(j[:, 1:]))).summary()

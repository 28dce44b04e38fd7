# ruff: noqa  (tutorial code kept as people write it)
"""Custom layers that make tensors inside call(): uniform noise of the input's shape,
a column of ones appended (a bias feature), truncated-normal jitter read off the batch."""
import keras
from keras import layers, ops


class UniformNoise(layers.Layer):
    def call(self, x):
        noise = keras.random.uniform(ops.shape(x), minval=-0.1, maxval=0.1)
        return x + noise


class WithBiasFeature(layers.Layer):
    def call(self, x):
        batch = ops.shape(x)[0]
        ones = ops.ones((batch, 1))
        return ops.concatenate([x, ones], axis=-1)


class Jitter(layers.Layer):
    def __init__(self, width, **kwargs):
        super().__init__(**kwargs)
        self.width = width

    def call(self, x):
        shift = keras.random.truncated_normal((ops.shape(x)[0], self.width), stddev=0.01)
        return x + shift


inputs = keras.Input(shape=(6,))
x = UniformNoise()(inputs)
x = WithBiasFeature()(x)
x = layers.Dense(8, activation="relu")(x)
x = Jitter(8)(x)
outputs = layers.Dense(3)(x)
model = keras.Model(inputs, outputs, name="noisy_mlp")
model.summary()

# ruff: noqa  (tutorial code kept as people write it)
"""Keras guide "Making new layers and models via subclassing": layers with their own
weights (add_weight in __init__ and in build), a non-trainable weight, and a block of
custom layers inside another custom layer."""
import keras
from keras import layers, ops


class Linear(keras.layers.Layer):
    def __init__(self, units=32):
        super().__init__()
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(
            shape=(input_shape[-1], self.units),
            initializer="random_normal",
            trainable=True,
        )
        self.b = self.add_weight(shape=(self.units,), initializer="zeros", trainable=True)

    def call(self, inputs):
        return ops.matmul(inputs, self.w) + self.b


class FixedLinear(keras.layers.Layer):
    def __init__(self, units=32, input_dim=32):
        super().__init__()
        self.w = self.add_weight(shape=(input_dim, units), initializer="random_normal", name="kernel")
        self.b = self.add_weight(shape=(units,), initializer="zeros", name="bias")

    def call(self, inputs):
        return inputs @ self.w + self.b


class ComputeSum(keras.layers.Layer):
    def __init__(self, input_dim):
        super().__init__()
        self.total = self.add_weight(initializer="zeros", shape=(input_dim,), trainable=False)

    def call(self, inputs):
        return inputs * 2.0


class MLPBlock(keras.layers.Layer):
    def __init__(self):
        super().__init__()
        self.linear_1 = Linear(32)
        self.linear_2 = Linear(32)
        self.linear_3 = Linear(1)

    def call(self, inputs):
        x = self.linear_1(inputs)
        x = keras.activations.relu(x)
        x = self.linear_2(x)
        x = keras.activations.relu(x)
        return self.linear_3(x)


inputs = keras.Input(shape=(64,))
x = Linear(48)(inputs)
x = ComputeSum(48)(x)
x = layers.Dense(32, activation="relu")(x)
x = FixedLinear(16, 32)(x)
outputs = MLPBlock()(x)
model = keras.Model(inputs, outputs)
model.summary()

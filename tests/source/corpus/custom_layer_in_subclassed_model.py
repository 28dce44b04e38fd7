# ruff: noqa  (tutorial code kept as people write it)
"""Custom residual Dense blocks kept in a list by a subclassed Model, which is built by
calling it on keras.Input; then a functional model whose `x + y` must be named `add`
(operations inside call() run on backend tensors in Keras and use up no names)."""
import keras
from keras import layers


class Block(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.d1 = layers.Dense(units, activation="relu")
        self.d2 = layers.Dense(units)
        self.norm = layers.LayerNormalization()

    def call(self, x):
        return self.norm(x + self.d2(self.d1(x)))


class Net(keras.Model):
    def __init__(self, depth=2):
        super().__init__()
        self.stem = layers.Dense(16)
        self.blocks = [Block(16) for _ in range(depth)]
        self.head = layers.Dense(3)

    def call(self, x):
        x = self.stem(x)
        for block in self.blocks:
            x = block(x)
        return self.head(x * 0.5)


net = Net()
net(keras.Input((10,)))
net.summary()

inp = keras.Input((5,))
z = inp + inp
keras.Model(inp, layers.Dense(2)(z)).summary()

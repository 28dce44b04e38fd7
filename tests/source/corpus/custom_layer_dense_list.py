# ruff: noqa  (tutorial code kept as people write it)
"""A Layer holding a list of Dense layers (and a dict of heads), looped over in call();
one instance used on two inputs (weights counted once); inside a Sequential model too."""
import keras
from keras import layers


class DenseStack(layers.Layer):
    def __init__(self, sizes, activation="relu", dropout=0.2):
        super().__init__()
        self.hidden = [layers.Dense(n, activation=activation) for n in sizes]
        self.drop = layers.Dropout(dropout)

    def call(self, x, training=None):
        for layer in self.hidden:
            x = layer(x)
            x = self.drop(x, training=training)
        return x


class TwoHeads(layers.Layer):
    def __init__(self, classes):
        super().__init__()
        self.heads = {"a": layers.Dense(classes), "b": layers.Dense(1)}

    def call(self, x):
        return self.heads["a"](x), self.heads["b"](x)


left = keras.Input(shape=(20,), name="left")
right = keras.Input(shape=(20,), name="right")
encoder = DenseStack([64, 32])
merged = layers.concatenate([encoder(left), encoder(right)])
logits, score = TwoHeads(5)(merged)
model = keras.Model([left, right], [logits, score], name="siamese_stack")
model.summary()

seq = keras.Sequential([
    keras.Input(shape=(10,)),
    DenseStack([16, 16, 8]),
    layers.Dense(1, activation="sigmoid"),
])
seq.summary()

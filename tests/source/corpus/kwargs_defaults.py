# ruff: noqa  (tutorial code kept as people write it)
from keras import layers, Model, Input


def dense_stack(x, *units, activation="relu", **dense_kwargs):
    for u in units:
        x = layers.Dense(u, activation=activation, **dense_kwargs)(x)
    return x


def head(x, num_classes, *, use_bias=True, name=None):
    return layers.Dense(num_classes, use_bias=use_bias, name=name)(x)


config = {"use_bias": False, "kernel_initializer": "he_normal"}
inp = Input(shape=(20,))
x = dense_stack(inp, 64, 32, **config)
x = dense_stack(x, 16, activation="tanh")
out = head(x, 3, use_bias=False, name="out")
model = Model(inp, out)
model.summary()

# ruff: noqa  (tutorial code kept as people write it)
"""DenseNet-style block: every layer sees the concatenation of all before it."""
import keras
from keras import layers

GROWTH = 12


def dense_block(x, n_layers):
    features = [x]
    for _ in range(n_layers):
        y = layers.BatchNormalization()(x)
        y = layers.Activation("relu")(y)
        y = layers.Conv2D(GROWTH, 3, padding="same")(y)
        features.append(y)
        x = layers.Concatenate()(features)
    return x


def transition(x):
    channels = x.shape[-1]
    x = layers.Conv2D(channels // 2, 1)(x)
    return layers.AveragePooling2D(2)(x)


inputs = keras.Input((32, 32, 3))
x = layers.Conv2D(24, 3, padding="same")(inputs)
x = dense_block(x, 3)
x = transition(x)
x = dense_block(x, 3)
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(10)(x))
model.summary()

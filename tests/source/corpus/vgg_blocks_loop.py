# ruff: noqa  (tutorial code kept as people write it)
"""VGG-like network: blocks built in nested loops over lists."""
import keras
from keras import layers

BLOCKS = [(64, 2), (128, 2), (256, 3)]

inputs = keras.Input(shape=(96, 96, 3))
x = inputs
for filters, n_convs in BLOCKS:
    for _ in range(n_convs):
        x = layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D(pool_size=2, strides=2)(x)
x = layers.Flatten()(x)
x = layers.Dense(256, activation="relu")(x)
x = layers.Dropout(0.5)(x)
outputs = layers.Dense(10, activation="softmax")(x)
model = keras.Model(inputs, outputs, name="vgg_like")
model.summary()

# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

inputs = keras.Input(shape=(64, 64, 3))
x = inputs
filters = 16
while x.shape[1] > 4:
    x = layers.Conv2D(filters, 3, strides=2, padding="same", activation="relu")(x)
    filters *= 2
x = layers.Flatten()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs)
model.summary()

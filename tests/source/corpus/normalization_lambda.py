# ruff: noqa  (tutorial code kept as people write it)
"""Tabular regression: a Normalization layer, Lambda layers with output shapes Keras can
infer, a Multiply merge and a RepeatVector."""
import keras
from keras import layers, ops

inputs = keras.Input(shape=(9,))
normalizer = layers.Normalization(axis=-1)
x = normalizer(inputs)
x = layers.Lambda(lambda t: t * 2.0)(x)
gate = layers.Dense(9, activation="sigmoid")(x)
x = layers.Multiply()([x, gate])
x = layers.Dense(64, activation="relu")(x)
x = layers.RepeatVector(3)(x)
x = layers.LSTM(8)(x)
x = layers.Lambda(lambda t: ops.expand_dims(t, -1))(x)
x = layers.Flatten()(x)
outputs = layers.Dense(1)(x)
model = keras.Model(inputs, outputs, name="regressor")
model.summary()

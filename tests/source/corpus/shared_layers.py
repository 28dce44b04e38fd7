# ruff: noqa  (tutorial code kept as people write it)
"""Shared layers (keras.io functional API guide): one Dense used on two inputs."""
import keras
from keras import layers

shared_dense = layers.Dense(64, activation="relu")
a = keras.Input(shape=(32,))
b = keras.Input(shape=(32,))
encoded_a = shared_dense(a)
encoded_b = shared_dense(b)
merged = layers.concatenate([encoded_a, encoded_b], axis=-1)
predictions = layers.Dense(1, activation="sigmoid")(merged)
model = keras.Model(inputs=[a, b], outputs=predictions)
model.summary()

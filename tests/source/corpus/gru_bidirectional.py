# ruff: noqa  (tutorial code kept as people write it)
"""Bidirectional GRU text classifier (keras.io style)."""
import keras
from keras import layers

vocab_size = 20000
inputs = keras.Input(shape=(None,), dtype="int32")
x = layers.Embedding(vocab_size, 128)(inputs)
x = layers.Bidirectional(layers.GRU(64, return_sequences=True))(x)
x = layers.Bidirectional(layers.GRU(64))(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs)
model.summary()

# ruff: noqa  (tutorial code kept as people write it)
"""Automatic names across several models: Sequential rebuilds use up `functional` and
`input_layer` names; MultiHeadAttention uses up `softmax` and `dropout` when first called."""
import keras
from keras import layers

seq = keras.Sequential()
seq.add(layers.Dense(8, input_shape=(4,)))
seq.add(layers.Dense(8))
seq.add(layers.Dense(2))

tokens = keras.Input(shape=(10, 16))
att = layers.MultiHeadAttention(num_heads=2, key_dim=8)(tokens, tokens)
x = layers.Dropout(0.1)(att)
x = layers.Softmax()(x)
x = layers.GlobalAveragePooling1D()(x)
head = keras.Model(tokens, layers.Dense(3)(x))

unbuilt = keras.Sequential([layers.Dense(4), layers.Dense(4)])
inp = keras.Input(shape=(6,))
wrapped = keras.Model(inp, unbuilt(inp))

seq.summary()
head.summary()
wrapped.summary()

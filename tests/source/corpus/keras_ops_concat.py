# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

a = keras.Input(shape=(16,))
b = keras.Input(shape=(16,))
x = layers.Dense(8)(a)
y = layers.Dense(8)(b)
z = layers.Add()([x, y])
m = layers.Multiply()([x, y])
avg = layers.Average()([x, y, z])
mx = layers.Maximum()([x, y])
mn = layers.minimum([x, y])
joined = layers.Concatenate(axis=1)([z, m, avg, mx, mn])
out = layers.Dense(2)(joined)
model = keras.Model([a, b], out)
model.summary()

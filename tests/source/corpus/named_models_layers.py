# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

inputs = keras.Input(shape=(10,), name="features")
hidden = layers.Dense(20, activation="relu", name="hidden")(inputs)
out = layers.Dense(1, name="score")(hidden)
model = keras.Model(inputs=inputs, outputs=out, name="scorer")
seq = keras.Sequential(name="wrapper")
seq.add(model)
seq.add(layers.Activation("sigmoid", name="prob"))
model.summary()
seq.summary()

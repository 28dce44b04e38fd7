# ruff: noqa  (tutorial code kept as people write it)
from keras import layers, Sequential, Input

model = Sequential([
    Input(shape=(16,)),
    layers.Dense(64, activation="relu"),
    layers.BatchNormalization(),
    layers.Dense(32, activation="relu"),
    layers.Dense(4),
])
for layer in model.layers[:2]:
    layer.trainable = False
model.layers[-1].trainable = True
model.summary()

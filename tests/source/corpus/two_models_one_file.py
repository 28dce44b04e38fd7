# ruff: noqa  (tutorial code kept as people write it)
"""A script that builds a classifier and a regressor and summarizes both."""
import keras
from keras import layers

classifier = keras.Sequential([
    keras.Input(shape=(8,)), layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax"),
])
regressor = keras.Sequential([
    keras.Input(shape=(8,)), layers.Dense(32, activation="relu"), layers.Dense(1),
])
classifier.summary()
regressor.summary()

# ruff: noqa  (tutorial code kept as people write it)
import keras
from keras import layers

first = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
keras.backend.clear_session()
second = keras.Sequential([keras.Input((3,)), layers.Dense(2)])
first.summary()
second.summary()

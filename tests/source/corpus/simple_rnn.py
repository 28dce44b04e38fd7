# ruff: noqa  (tutorial code kept as people write it)
from keras.models import Sequential
from keras.layers import SimpleRNN, Dense, Input

timesteps, features = 10, 3
model = Sequential()
model.add(Input((timesteps, features)))
model.add(SimpleRNN(32, return_sequences=True))
model.add(SimpleRNN(16))
model.add(Dense(1))
model.summary()

# ruff: noqa  (tutorial code kept as people write it)
"""Weather forecasting: a window of readings, Conv1D then LSTM, two heads."""
import keras
from keras import layers

past, features, future = 120, 7, 12
inputs = keras.layers.Input(shape=(past, features))
x = layers.Conv1D(filters=64, kernel_size=5, padding="causal", activation="relu")(inputs)
x = layers.MaxPooling1D(pool_size=2)(x)
x = layers.LSTM(32, return_sequences=True)(x)
x = layers.LSTM(32)(x)
temperature = layers.Dense(future, name="temperature")(x)
rain = layers.Dense(future, activation="sigmoid", name="rain")(x)
model = keras.Model(inputs=inputs, outputs=[temperature, rain])
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="mse")
model.summary()

# ruff: noqa  (tutorial code kept as people write it)
# 1D CNN for time series classification
from tensorflow import keras
from tensorflow.keras import layers

n_timesteps, n_features, n_outputs = 128, 9, 6

model = keras.Sequential()
model.add(layers.Conv1D(filters=64, kernel_size=3, activation='relu', input_shape=(n_timesteps, n_features)))
model.add(layers.Conv1D(filters=64, kernel_size=3, activation='relu'))
model.add(layers.Dropout(0.5))
model.add(layers.MaxPooling1D(pool_size=2))
model.add(layers.Conv1D(32, 5, padding="causal", dilation_rate=2))
model.add(layers.GlobalMaxPooling1D())
model.add(layers.Dense(100, activation='relu'))
model.add(layers.Dense(n_outputs, activation='softmax'))
model.summary()

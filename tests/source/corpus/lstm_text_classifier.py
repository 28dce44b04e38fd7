# ruff: noqa  (tutorial code kept as people write it)
# IMDB sentiment with an LSTM
from keras.models import Sequential
from keras.layers import Embedding, LSTM, Dense, Input

max_features = 20000
maxlen = 200
embedding_dim = 128

model = Sequential()
model.add(Input(shape=(maxlen,), dtype="int32"))
model.add(Embedding(max_features, embedding_dim))
model.add(LSTM(64, dropout=0.2, recurrent_dropout=0.2))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.summary()

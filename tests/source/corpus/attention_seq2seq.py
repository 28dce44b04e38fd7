# ruff: noqa  (tutorial code kept as people write it)
"""A query-value attention classifier: Attention and AdditiveAttention layers, masking
embeddings, a bidirectional GRU merged by sum."""
import keras
from keras import layers

query_input = keras.Input(shape=(None,), dtype="int32")
value_input = keras.Input(shape=(None,), dtype="int32")
token_embedding = layers.Embedding(input_dim=1000, output_dim=64, mask_zero=True)
query_embeddings = token_embedding(query_input)
value_embeddings = token_embedding(value_input)
cnn_layer = layers.Conv1D(filters=100, kernel_size=4, padding="same")
query_seq_encoding = cnn_layer(query_embeddings)
value_seq_encoding = cnn_layer(value_embeddings)
query_value_attention_seq = layers.Attention()([query_seq_encoding, value_seq_encoding])
additive = layers.AdditiveAttention()([query_seq_encoding, value_seq_encoding])
recurrent = layers.Bidirectional(layers.GRU(16, reset_after=False), merge_mode="sum")(
    query_seq_encoding
)
query_encoding = layers.GlobalAveragePooling1D()(query_seq_encoding)
query_value_attention = layers.GlobalAveragePooling1D()(query_value_attention_seq)
additive_pooled = layers.GlobalMaxPooling1D()(additive)
input_layer = layers.Concatenate()([query_encoding, query_value_attention, additive_pooled, recurrent])
outputs = layers.Dense(1)(input_layer)
model = keras.Model([query_input, value_input], outputs)
model.summary()

"""The table of layer cases: each builds one Keras layer on inputs of given shapes.

No expected numbers are written here: Keras itself is the expected value.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Shape = tuple[int | None, ...]


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[Any], Any]  # keras.layers -> a layer
    inputs: Any  # one shape, or a tuple of shapes for several inputs
    call: str = "one"  # "one": layer(x); "list": layer([a, b]); "args": layer(a, b)
    kwargs: dict[str, Any] = field(default_factory=dict)
    dtype: str = "float32"
    frozen: bool = False


SEQ = (None, 7, 5)
IMG = (None, 12, 10, 3)


def _lstm(L: Any, **kw: Any) -> Any:
    return L.LSTM(4, **kw)


CASES: list[Case] = [
    # -- convolutions ---------------------------------------------------------------
    Case("conv1d_causal_dilated", lambda L: L.Conv1D(4, 3, padding="causal", dilation_rate=2), SEQ),
    Case("conv2d_groups", lambda L: L.Conv2D(6, 3, groups=3, use_bias=False), (None, 9, 9, 6)),
    Case(
        "conv2d_channels_first",
        lambda L: L.Conv2D(4, (3, 2), strides=2, data_format="channels_first"),
        (None, 3, 11, 10),
    ),
    Case(
        "conv3d_same_strided",
        lambda L: L.Conv3D(2, 3, strides=(2, 1, 3), padding="same"),
        (None, 7, 8, 9, 2),
    ),
    Case("conv1d_transpose", lambda L: L.Conv1DTranspose(3, 4, strides=3), SEQ),
    Case(
        "conv2d_transpose_same", lambda L: L.Conv2DTranspose(5, 3, strides=2, padding="same"), IMG
    ),
    Case(
        "conv2d_transpose_output_padding",
        lambda L: L.Conv2DTranspose(2, 3, strides=2, output_padding=1),
        IMG,
    ),
    Case(
        "conv2d_transpose_same_output_padding",
        lambda L: L.Conv2DTranspose(2, 4, strides=3, padding="same", output_padding=(2, 0)),
        IMG,
    ),
    Case(
        "conv2d_transpose_dilated",
        lambda L: L.Conv2DTranspose(2, 3, dilation_rate=2, use_bias=False),
        IMG,
    ),
    Case(
        "conv3d_transpose_cf",
        lambda L: L.Conv3DTranspose(2, 2, strides=2, data_format="channels_first"),
        (None, 3, 4, 5, 6),
    ),
    Case("depthwise_conv1d", lambda L: L.DepthwiseConv1D(3, depth_multiplier=2, strides=2), SEQ),
    Case("depthwise_conv2d", lambda L: L.DepthwiseConv2D(3, padding="same", use_bias=False), IMG),
    Case("separable_conv1d", lambda L: L.SeparableConv1D(4, 3, depth_multiplier=3), SEQ),
    Case(
        "separable_conv2d_cf",
        lambda L: L.SeparableConv2D(4, 3, data_format="channels_first"),
        (None, 3, 12, 10),
    ),
    # -- pooling, padding, resizing -------------------------------------------------
    Case("maxpool1d_same", lambda L: L.MaxPooling1D(3, strides=2, padding="same"), SEQ),
    Case("avgpool3d", lambda L: L.AveragePooling3D(2), (None, 6, 6, 6, 2)),
    Case("global_avg_keepdims", lambda L: L.GlobalAveragePooling2D(keepdims=True), IMG),
    Case("global_max1d_cf", lambda L: L.GlobalMaxPooling1D(data_format="channels_first"), SEQ),
    Case("adaptive_avg2d", lambda L: L.AdaptiveAveragePooling2D((3, 2)), IMG),
    Case("adaptive_max1d", lambda L: L.AdaptiveMaxPooling1D(4), SEQ),
    Case(
        "adaptive_max3d_cf",
        lambda L: L.AdaptiveMaxPooling3D(2, data_format="channels_first"),
        (None, 2, 6, 6, 6),
    ),
    Case("zeropad3d", lambda L: L.ZeroPadding3D(((1, 0), (2, 1), (0, 3))), (None, 4, 4, 4, 2)),
    Case("cropping1d", lambda L: L.Cropping1D((1, 2)), SEQ),
    Case("upsampling3d", lambda L: L.UpSampling3D((1, 2, 3)), (None, 2, 3, 4, 1)),
    # -- core -----------------------------------------------------------------------
    Case("dense_3d", lambda L: L.Dense(6), SEQ),
    Case("dense_lora", lambda L: L.Dense(6, lora_rank=2), (None, 8)),
    Case("dense_frozen", lambda L: L.Dense(3), (None, 8), frozen=True),
    Case(
        "einsum_dense_bias",
        lambda L: L.EinsumDense("abc,cd->abd", output_shape=(None, 6), bias_axes="d"),
        SEQ,
    ),
    Case(
        "einsum_dense_left_ellipsis",
        lambda L: L.EinsumDense("...b,bc->...c", output_shape=4, bias_axes="c"),
        SEQ,
    ),
    Case(
        "einsum_dense_right_ellipsis",
        lambda L: L.EinsumDense("ab...,bc->ac...", output_shape=(4,)),
        SEQ,
    ),
    Case(
        "einsum_dense_heads",
        lambda L: L.EinsumDense("abc,cde->abde", output_shape=(7, 2, 3), bias_axes="de"),
        SEQ,
    ),
    Case(
        "einsum_dense_lora",
        lambda L: L.EinsumDense("ab,bc->ac", output_shape=4, lora_rank=2),
        (None, 5),
    ),
    Case("embedding", lambda L: L.Embedding(50, 8, mask_zero=True), (None, 6), dtype="int32"),
    Case("embedding_lora", lambda L: L.Embedding(50, 8, lora_rank=3), (None, 6), dtype="int32"),
    Case(
        "reversible_embedding_untied",
        lambda L: L.ReversibleEmbedding(30, 4, tie_weights=False),
        (None, 6),
        dtype="int32",
    ),
    Case(
        "reversible_embedding_tied",
        lambda L: L.ReversibleEmbedding(30, 4),
        (None, 2, 3),
        dtype="int32",
    ),
    Case("lambda_output_shape", lambda L: L.Lambda(lambda x: x[:, :2], output_shape=(2, 5)), SEQ),
    Case("masking", lambda L: L.Masking(), SEQ),
    Case("identity", lambda L: L.Identity(), SEQ),
    # -- recurrent ------------------------------------------------------------------
    Case("simple_rnn", lambda L: L.SimpleRNN(3), SEQ),
    Case(
        "simple_rnn_seq_state",
        lambda L: L.SimpleRNN(3, return_sequences=True, return_state=True, use_bias=False),
        SEQ,
    ),
    Case("lstm", lambda L: _lstm(L), SEQ),
    Case("lstm_seq_state", lambda L: _lstm(L, return_sequences=True, return_state=True), SEQ),
    Case("gru_reset_after", lambda L: L.GRU(4), SEQ),
    Case("gru_reset_before_state", lambda L: L.GRU(4, reset_after=False, return_state=True), SEQ),
    Case("gru_no_bias", lambda L: L.GRU(4, use_bias=False, go_backwards=True), SEQ),
    Case("rnn_lstm_cell", lambda L: L.RNN(L.LSTMCell(3), return_sequences=True), SEQ),
    Case(
        "rnn_gru_cell_state",
        lambda L: L.RNN(L.GRUCell(3, reset_after=False), return_state=True),
        SEQ,
    ),
    Case("rnn_simple_cell", lambda L: L.RNN(L.SimpleRNNCell(2)), SEQ),
    Case(
        "rnn_stacked_cells_state",
        lambda L: L.RNN([L.LSTMCell(3), L.GRUCell(2), L.SimpleRNNCell(4)], return_state=True),
        SEQ,
    ),
    Case(
        "rnn_stacked_cells_object",
        lambda L: L.RNN(L.StackedRNNCells([L.SimpleRNNCell(3), L.LSTMCell(2)])),
        SEQ,
    ),
    Case("bidirectional_concat", lambda L: L.Bidirectional(_lstm(L)), SEQ),
    Case(
        "bidirectional_sum_seq",
        lambda L: L.Bidirectional(L.GRU(3, return_sequences=True), merge_mode="sum"),
        SEQ,
    ),
    Case("bidirectional_ave", lambda L: L.Bidirectional(L.SimpleRNN(3), merge_mode="ave"), SEQ),
    Case(
        "bidirectional_mul_state",
        lambda L: L.Bidirectional(_lstm(L, return_state=True), merge_mode="mul"),
        SEQ,
    ),
    Case("bidirectional_none", lambda L: L.Bidirectional(L.GRU(3), merge_mode=None), SEQ),
    Case(
        "bidirectional_none_state",
        lambda L: L.Bidirectional(
            _lstm(L, return_state=True, return_sequences=True), merge_mode=None
        ),
        SEQ,
    ),
    Case(
        "bidirectional_backward_layer",
        lambda L: L.Bidirectional(L.LSTM(3), backward_layer=L.GRU(5, go_backwards=True)),
        SEQ,
    ),
    Case("conv_lstm1d", lambda L: L.ConvLSTM1D(3, 3), (None, 4, 9, 2)),
    Case(
        "conv_lstm2d_seq_state",
        lambda L: L.ConvLSTM2D(
            2, 3, padding="same", strides=2, return_sequences=True, return_state=True
        ),
        (None, 3, 9, 8, 2),
    ),
    Case(
        "conv_lstm2d_cf",
        lambda L: L.ConvLSTM2D(2, (3, 2), data_format="channels_first", use_bias=False),
        (None, 3, 2, 9, 8),
    ),
    Case("conv_lstm3d", lambda L: L.ConvLSTM3D(2, 2, dilation_rate=2), (None, 2, 5, 5, 5, 1)),
    Case("time_distributed_dense", lambda L: L.TimeDistributed(L.Dense(3)), SEQ),
    Case("time_distributed_conv", lambda L: L.TimeDistributed(L.Conv2D(2, 3)), (None, 4, 8, 8, 3)),
    # -- attention ------------------------------------------------------------------
    Case("mha_self", lambda L: L.MultiHeadAttention(2, 4), (SEQ, SEQ), call="args"),
    Case(
        "mha_cross_key",
        lambda L: L.MultiHeadAttention(3, 2, value_dim=5, use_bias=False),
        (SEQ, (None, 4, 6), (None, 4, 3)),
        call="args",
    ),
    Case(
        "mha_output_shape",
        lambda L: L.MultiHeadAttention(2, 3, output_shape=(2, 4)),
        (SEQ, SEQ),
        call="args",
    ),
    Case(
        "mha_output_shape_int",
        lambda L: L.MultiHeadAttention(2, 3, output_shape=7),
        (SEQ, (None, 3, 5)),
        call="args",
    ),
    Case(
        "mha_attention_axes",
        lambda L: L.MultiHeadAttention(2, 3, attention_axes=(1, 2)),
        ((None, 3, 4, 5), (None, 3, 4, 5)),
        call="args",
    ),
    Case("mha_gate", lambda L: L.MultiHeadAttention(2, 3, use_gate=True), (SEQ, SEQ), call="args"),
    Case("gqa", lambda L: L.GroupQueryAttention(4, 4, 2), (SEQ, (None, 3, 5)), call="args"),
    Case(
        "gqa_key_no_bias",
        lambda L: L.GroupQueryAttention(2, 2, 1, use_bias=False),
        (SEQ, SEQ, (None, 7, 3)),
        call="args",
    ),
    Case("attention_dot", lambda L: L.Attention(), (SEQ, (None, 4, 5)), call="list"),
    Case(
        "attention_scale_concat",
        lambda L: L.Attention(use_scale=True, score_mode="concat"),
        (SEQ, (None, 4, 5), (None, 4, 5)),
        call="list",
    ),
    Case("additive_attention", lambda L: L.AdditiveAttention(), (SEQ, (None, 4, 5)), call="list"),
    Case(
        "additive_attention_no_scale",
        lambda L: L.AdditiveAttention(use_scale=False),
        (SEQ, SEQ),
        call="list",
    ),
    # -- normalization --------------------------------------------------------------
    Case("batch_norm_axis1", lambda L: L.BatchNormalization(axis=1, center=False), IMG),
    Case("layer_norm_axes", lambda L: L.LayerNormalization(axis=(1, 2)), IMG),
    Case("layer_norm_rms", lambda L: L.LayerNormalization(rms_scaling=True), SEQ),
    Case("group_norm", lambda L: L.GroupNormalization(groups=2), (None, 5, 6)),
    Case("group_norm_instance", lambda L: L.GroupNormalization(groups=-1, center=False), IMG),
    Case("unit_norm", lambda L: L.UnitNormalization(axis=(1, 2)), SEQ),
    Case("rms_norm", lambda L: L.RMSNormalization(), SEQ),
    Case("rms_norm_axes", lambda L: L.RMSNormalization(axis=[1, 2]), SEQ),
    Case("spectral_norm_dense", lambda L: L.SpectralNormalization(L.Dense(4)), SEQ),
    Case("spectral_norm_conv", lambda L: L.SpectralNormalization(L.Conv2D(2, 3)), IMG),
    Case(
        "spectral_norm_embedding",
        lambda L: L.SpectralNormalization(L.Embedding(10, 3)),
        (None, 4),
        dtype="int32",
    ),
    # -- merging --------------------------------------------------------------------
    Case("dot_last_axes", lambda L: L.Dot(axes=-1), (SEQ, (None, 4, 5)), call="list"),
    Case(
        "dot_axes_pair",
        lambda L: L.Dot(axes=(1, 2), normalize=True),
        ((None, 7, 3), (None, 2, 7)),
        call="list",
    ),
    Case("dot_vectors", lambda L: L.Dot(axes=1), ((None, 5), (None, 5)), call="list"),
    Case("concatenate_axis1", lambda L: L.Concatenate(axis=1), (SEQ, (None, 2, 5)), call="list"),
    Case("average_broadcast", lambda L: L.Average(), ((None, 7, 5), (None, 1, 5)), call="list"),
    Case("maximum_three", lambda L: L.Maximum(), (SEQ, SEQ, SEQ), call="list"),
    # -- activation and regularization ----------------------------------------------
    Case("prelu_shared", lambda L: L.PReLU(shared_axes=[1, 2]), IMG),
    Case("prelu", lambda L: L.PReLU(), SEQ),
    Case("softmax", lambda L: L.Softmax(axis=1), SEQ),
    Case("activity_regularization", lambda L: L.ActivityRegularization(l1=0.1), SEQ),
    Case("spatial_dropout3d", lambda L: L.SpatialDropout3D(0.2), (None, 3, 3, 3, 2)),
    Case("alpha_dropout", lambda L: L.AlphaDropout(0.1), SEQ),
    # -- preprocessing --------------------------------------------------------------
    Case("normalization", lambda L: L.Normalization(), SEQ),
    Case("normalization_axes", lambda L: L.Normalization(axis=(1, 2)), SEQ),
    Case("normalization_given", lambda L: L.Normalization(mean=1.0, variance=2.0), SEQ),
    Case("rescaling", lambda L: L.Rescaling(1 / 255), IMG),
    Case("resizing", lambda L: L.Resizing(5, 7), IMG),
    Case(
        "resizing_cf", lambda L: L.Resizing(5, 7, data_format="channels_first"), (None, 3, 12, 10)
    ),
    Case("center_crop", lambda L: L.CenterCrop(4, 6), IMG),
    Case("random_crop", lambda L: L.RandomCrop(4, 6), IMG),
    Case(
        "random_crop_cf",
        lambda L: L.RandomCrop(4, 6, data_format="channels_first"),
        (None, 3, 12, 10),
    ),
    Case("random_flip", lambda L: L.RandomFlip(), IMG),
    Case("random_rotation", lambda L: L.RandomRotation(0.1), IMG),
    Case("random_zoom", lambda L: L.RandomZoom(0.1), IMG),
    Case("random_translation", lambda L: L.RandomTranslation(0.1, 0.1), IMG),
    Case("random_contrast", lambda L: L.RandomContrast(0.1), IMG),
    Case("random_brightness", lambda L: L.RandomBrightness(0.1), IMG),
    Case("random_grayscale", lambda L: L.RandomGrayscale(), IMG),
    Case("random_hue", lambda L: L.RandomHue(0.1), IMG),
    Case("random_saturation", lambda L: L.RandomSaturation(0.1), IMG),
    Case("random_sharpness", lambda L: L.RandomSharpness(0.1), IMG),
    Case("random_shear", lambda L: L.RandomShear(0.1), IMG),
    Case("random_erasing", lambda L: L.RandomErasing(), IMG),
    Case("random_gaussian_blur", lambda L: L.RandomGaussianBlur(), IMG),
    Case("random_invert", lambda L: L.RandomInvert(), IMG),
    Case("random_perspective", lambda L: L.RandomPerspective(), IMG),
    Case("random_posterization", lambda L: L.RandomPosterization((1, 4)), IMG),
    Case("random_color_degeneration", lambda L: L.RandomColorDegeneration(0.1), IMG),
    Case("random_color_jitter", lambda L: L.RandomColorJitter(), IMG),
    Case("random_elastic", lambda L: L.RandomElasticTransform(), IMG),
    Case("solarization", lambda L: L.Solarization(), IMG),
    Case("auto_contrast", lambda L: L.AutoContrast(), IMG),
    Case("aug_mix", lambda L: L.AugMix(), IMG),
    Case("rand_augment", lambda L: L.RandAugment(), IMG),
    Case("cut_mix", lambda L: L.CutMix(), IMG),
    Case("mix_up", lambda L: L.MixUp(), IMG),
    Case("clahe", lambda L: L.ContrastLimitedAdaptiveHistogramEqualization(), IMG),
    Case("category_encoding_multi_hot", lambda L: L.CategoryEncoding(10), (None, 4), dtype="int32"),
    Case(
        "category_encoding_one_hot",
        lambda L: L.CategoryEncoding(10, output_mode="one_hot"),
        (None, 1),
        dtype="int32",
    ),
    Case(
        "category_encoding_one_hot_wide",
        lambda L: L.CategoryEncoding(10, output_mode="one_hot"),
        (None, 3),
        dtype="int32",
    ),
    Case("discretization", lambda L: L.Discretization(bin_boundaries=[0.0, 1.0]), (None, 4)),
    Case(
        "discretization_one_hot",
        lambda L: L.Discretization(bin_boundaries=[0.0, 1.0, 2.0], output_mode="one_hot"),
        (None, 4),
    ),
    Case(
        "discretization_multi_hot",
        lambda L: L.Discretization(bin_boundaries=[0.0], output_mode="multi_hot"),
        (None, 4, 3),
    ),
    Case(
        "mel_spectrogram",
        lambda L: L.MelSpectrogram(num_mel_bins=20, sequence_stride=100),
        (None, 1600),
    ),
    Case(
        "stft_spectrogram",
        lambda L: L.STFTSpectrogram(frame_length=64, frame_step=16),
        (None, 800, 1),
    ),
    Case(
        "stft_spectrogram_stft_expand",
        lambda L: L.STFTSpectrogram(
            mode="stft",
            frame_length=32,
            frame_step=8,
            fft_length=64,
            expand_dims=True,
            padding="same",
        ),
        (None, 200, 2),
    ),
    Case(
        "stft_spectrogram_real_cf",
        lambda L: L.STFTSpectrogram(mode="real", frame_length=30, data_format="channels_first"),
        (None, 2, 300),
    ),
    Case(
        "pipeline",
        lambda L: L.Pipeline([L.Rescaling(0.5), L.CenterCrop(6, 5), L.Resizing(4, 4)]),
        IMG,
    ),
    # -- reshaping and the rest of the existing families -----------------------------
    Case("normalization_axis_none", lambda L: L.Normalization(axis=None), SEQ),
    Case("reshape_minus_one", lambda L: L.Reshape((-1, 7)), SEQ),
    Case("permute", lambda L: L.Permute((2, 1)), SEQ),
    Case("flatten_cf", lambda L: L.Flatten(data_format="channels_first"), IMG),
    Case("repeat_vector", lambda L: L.RepeatVector(3), (None, 4)),
    Case(
        "concatenate_three",
        lambda L: L.Concatenate(),
        (SEQ, (None, 7, 2), (None, 7, 1)),
        call="list",
    ),
    Case("subtract", lambda L: L.Subtract(), (SEQ, SEQ), call="list"),
    Case(
        "zeropad2d_int_cf",
        lambda L: L.ZeroPadding2D(2, data_format="channels_first"),
        (None, 3, 5, 4),
    ),
    Case("cropping3d", lambda L: L.Cropping3D(((1, 0), (0, 1), (1, 1))), (None, 4, 4, 4, 2)),
    Case("cropping2d_cf", lambda L: L.Cropping2D(1, data_format="channels_first"), (None, 3, 5, 4)),
    Case("upsampling1d", lambda L: L.UpSampling1D(3), SEQ),
    Case(
        "upsampling2d_cf",
        lambda L: L.UpSampling2D((2, 3), data_format="channels_first"),
        (None, 3, 5, 4),
    ),
    Case(
        "global_max3d_cf",
        lambda L: L.GlobalMaxPooling3D(data_format="channels_first"),
        (None, 2, 3, 4, 5),
    ),
    Case(
        "maxpool2d_strides", lambda L: L.MaxPooling2D((3, 2), strides=(1, 2), padding="same"), IMG
    ),
    Case("avgpool1d_cf", lambda L: L.AveragePooling1D(2, data_format="channels_first"), SEQ),
    Case("conv1d_causal_strided", lambda L: L.Conv1D(3, 4, strides=2, padding="causal"), SEQ),
    Case(
        "depthwise_conv2d_cf",
        lambda L: L.DepthwiseConv2D(2, depth_multiplier=2, data_format="channels_first"),
        (None, 3, 6, 5),
    ),
    Case(
        "separable_conv2d_strided",
        lambda L: L.SeparableConv2D(4, 3, strides=2, use_bias=False),
        IMG,
    ),
    Case("leaky_relu", lambda L: L.LeakyReLU(0.2), SEQ),
    Case("relu_max", lambda L: L.ReLU(max_value=6.0), SEQ),
    Case("gaussian_dropout", lambda L: L.GaussianDropout(0.2), SEQ),
    Case("spatial_dropout1d", lambda L: L.SpatialDropout1D(0.2), SEQ),
    Case("rescaling_offset", lambda L: L.Rescaling(2.0, offset=-1.0), SEQ),
    Case("batch_norm_frozen", lambda L: L.BatchNormalization(), SEQ, frozen=True),
    Case("lstm_frozen", lambda L: L.LSTM(3), SEQ, frozen=True),
    Case("mha_frozen", lambda L: L.MultiHeadAttention(2, 2), (SEQ, SEQ), call="args", frozen=True),
    Case("bidirectional_frozen", lambda L: L.Bidirectional(L.GRU(2)), SEQ, frozen=True),
    # -- call arguments: keyword tensors and return_attention_scores --------------------
    Case(
        "mha_scores",
        lambda L: L.MultiHeadAttention(2, 3),
        (SEQ, (None, 4, 5)),
        call="args",
        kwargs={"return_attention_scores": True},
    ),
    Case(
        "mha_key_mask",
        lambda L: L.MultiHeadAttention(2, 3),
        (SEQ, (None, 4, 6), (None, 4, 2), (None, 7, 4)),
        call="key_mask",
    ),
    Case(
        "mha_named_scores",
        lambda L: L.MultiHeadAttention(1, 2, value_dim=3),
        (SEQ, (None, 4, 6)),
        call="named",
        kwargs={"return_attention_scores": True},
    ),
    Case(
        "gqa_scores",
        lambda L: L.GroupQueryAttention(2, 2, 1),
        (SEQ, (None, 4, 5)),
        call="args",
        kwargs={"return_attention_scores": True},
    ),
    Case(
        "attention_scores",
        lambda L: L.Attention(),
        (SEQ, (None, 4, 5), (None, 4, 5)),
        call="list",
        kwargs={"return_attention_scores": True},
    ),
    Case(
        "additive_attention_scores",
        lambda L: L.AdditiveAttention(),
        (SEQ, (None, 4, 5)),
        call="list",
        kwargs={"return_attention_scores": True},
    ),
    Case(
        "lstm_initial_state",
        lambda L: L.LSTM(3, return_state=True),
        (SEQ, (None, 3), (None, 3)),
        call="initial_state",
    ),
    Case(
        "bidirectional_initial_state",
        lambda L: L.Bidirectional(L.GRU(2)),
        (SEQ, (None, 2), (None, 2)),
        call="initial_state",
    ),
]

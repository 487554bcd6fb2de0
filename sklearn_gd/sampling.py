"""Batched nucleus sampling from a causal LM, made for CPUs.

``transformers``' ``generate`` sorts the whole vocabulary and draws one random number per
vocabulary entry at every step, which on a CPU costs as much as the model itself for a
small LM, and it keeps computing rows that have already ended. This loop samples from the
``top_k`` best tokens only (the same distribution as ``generate`` with ``top_k`` and
``top_p``) and drops finished rows from the batch and its key/value cache, including rows
that a ``stop`` test ends early (a sample that has run on into a second text).
"""

import inspect

import torch
from transformers import DynamicCache

__all__ = ["sample_batch"]


def _draw(logits, top_k, top_p, temperature):
    """One token per row: temperature, then top-k, then nucleus (top-p) sampling."""
    logits = logits.float() / temperature
    top_logits, top_ids = logits.topk(min(top_k, logits.shape[-1]), dim=-1)  # sorted
    probs = top_logits.softmax(dim=-1)
    # Drop tokens once the mass before them reaches top_p (the first one always stays).
    outside = probs.cumsum(dim=-1) - probs >= top_p
    probs = probs.masked_fill(outside, 0.0)
    choice = torch.multinomial(probs, 1)
    return top_ids.gather(-1, choice).squeeze(-1)


@torch.inference_mode()
def sample_batch(
    model, input_ids, attention_mask, *, max_new_tokens, eos_token_id, top_k, top_p, temperature,
    stop=None,
):
    """Sample continuations of left-padded prompts.

    Parameters
    ----------
    model : transformers.PreTrainedModel
        A causal LM in eval mode.
    input_ids, attention_mask : torch.Tensor of shape (batch, prompt_length)
        Left-padded prompts, on the model's device.
    max_new_tokens : int
        Longest continuation.
    eos_token_id : int
        Ends a row; it is not included in the output.
    top_k, top_p, temperature : int, float, float
        Sampling settings, as in ``transformers.GenerationConfig``.
    stop : callable or None, default=None
        Called with a row's new token ids after each step; True ends the row there, as
        the end-of-text token does (its tokens so far are kept). The tokens a row would
        have sampled after it cost compute and would be cut off anyway.

    Returns
    -------
    continuations : list of list of int
        New token ids of each row, in the input order.
    """
    n_rows = input_ids.shape[0]
    continuations = [[] for _ in range(n_rows)]
    rows = torch.arange(n_rows)  # input row of each live row
    cache = DynamicCache(config=model.config)
    # transformers >= 5.24 names the argument ``cache`` (``past_key_values`` warns there).
    cache_argument = ("cache" if "cache" in inspect.signature(model.forward).parameters
                      else "past_key_values")
    position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
    tokens = input_ids
    for step in range(max_new_tokens):
        logits = model(
            input_ids=tokens,
            attention_mask=attention_mask,
            position_ids=position_ids,
            **{cache_argument: cache},
            use_cache=True,
            logits_to_keep=1,
        ).logits[:, -1]
        next_tokens = _draw(logits, top_k, top_p, temperature)
        ended = next_tokens == eos_token_id
        for i, (row, token) in enumerate(zip(rows.tolist(), next_tokens.tolist(), strict=True)):
            if token != eos_token_id:
                continuations[row].append(token)
                if stop is not None and stop(continuations[row]):
                    ended[i] = True
        if step == max_new_tokens - 1 or bool(ended.all()):
            break
        if bool(ended.any()):
            live = (~ended).nonzero().squeeze(-1)
            cache.batch_select_indices(live)
            rows, next_tokens = rows[live.cpu()], next_tokens[live]
            attention_mask, position_ids = attention_mask[live], position_ids[live]
        tokens = next_tokens[:, None]
        attention_mask = torch.cat([attention_mask, attention_mask.new_ones(len(tokens), 1)], 1)
        position_ids = position_ids[:, -1:] + 1
    return continuations

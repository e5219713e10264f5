"""The bundled sample domain (Veltrano Mobile, a fictional telecom operator) and its generator.

Regenerate the committed files with:

    python -m pipelines.samples.generate --out pipelines/samples/telecom --seed 7
"""

"""The catalogue as DCAT-AP 3.0, for open-data harvesters (CKAN's ckanext-dcat, udata,
data.europa.eu), in Turtle or JSON-LD, streamed.

- ``terms``: the namespaces, the JSON-LD context, the IRIs and the bilingual literals;
- ``graphs``: the small rdflib graphs the export is made of (the registry's catalogue and its
  vocabularies, a chunk of platforms, a published batch's entries, a chunk of resources);
- ``stream``: reading them chunk by chunk and writing each graph as it is built.
"""

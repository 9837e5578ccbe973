"""The public site: a request becomes a filter, the filter a query, the result a page. Reads only published data."""

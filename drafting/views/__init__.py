"""The pages, one module per resource. Each action calls the same service as the API; refusals show
on the form when there is one, else as the error page (``codeofconduct.pages``)."""

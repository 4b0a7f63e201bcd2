"""The baseline: bare Django views on the same server, through the same middleware, that the
platform's endpoints are measured against; and a query count the runner reads per request."""

from django.db import connection
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from drafting.models import Clause

from .models import BaselineRow


def baseline_read(request, clause_id: int):
    """One clause by primary key, as JSON: the least a read of the platform can do."""
    row = Clause.objects.filter(pk=clause_id).values("id", "number", "title", "text", "status", "version").first()
    if row is None:
        raise Http404
    return JsonResponse(row)


@csrf_exempt
@require_POST
def baseline_write(request):
    """One row inserted: the least a write can do."""
    row = BaselineRow.objects.create(label="baseline")
    return JsonResponse({"id": row.id}, status=201)


class QueryCountMiddleware:
    """With ``X-Bench-Queries: 1`` on the request, answers carry the number of queries it made."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.headers.get("X-Bench-Queries") != "1":
            return self.get_response(request)
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        return response

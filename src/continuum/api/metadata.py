"""What ``OPTIONS`` answers on every API path: the view's name, description and media types.

DRF's default also describes the input fields of each method, from the view's serializer; many of
Continuum's views have none (their declarations name an input per method), and that description
gave a 500. The OpenAPI schema (``/api/schema/``) is where the fields are described.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rest_framework.metadata import SimpleMetadata
from rest_framework.request import Request

if TYPE_CHECKING:
    # DRF imports this module while building APIView (DEFAULT_METADATA_CLASS).
    from rest_framework.views import APIView


class ContinuumMetadata(SimpleMetadata):
    def determine_metadata(self, request: Request, view: APIView) -> dict[str, Any]:
        return {
            "name": view.get_view_name(),
            "description": view.get_view_description(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
        }

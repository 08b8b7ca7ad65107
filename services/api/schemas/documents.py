"""What attaching a document answers: the proposal, and the document as recorded."""

from __future__ import annotations

from services.api.schemas.proposals import Document, ProposalView


class DocumentAttached(ProposalView):
    """The proposal after the upload; the same file of the same kind sent again to the same
    dossier version answers the document recorded the first time."""

    document: Document

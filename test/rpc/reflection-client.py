#!/usr/bin/python3
# A gRPC client this project did not write (Debian's python3-grpcio and python3-protobuf): builds its descriptor pool
# from server reflection alone, resolves every service and method, and calls one method of every service.
#
# Usage: reflection-client.py TARGET CALLS_JSON
#   TARGET      a gRPC target, e.g. unix:/path/to/init.sock
#   CALLS_JSON  {"<service>": ["<method>", {<request as proto JSON>}], ...}: one call per listed service; a listed
#               service without an entry is an error, so "every service" cannot silently shrink.
# Prints one JSON object on stdout (see report below); any failure raises, exiting non-zero with a traceback.
#
# Nothing of the project's is used: no .proto file, no generated stub. The reflection protocol's own messages are
# built from a descriptor written out in this file (Debian packages no grpcio-reflection); everything else comes
# from the server's answers, added to a fresh protobuf DescriptorPool, whose C++ builder refuses what strict clients
# refuse (undeclared imports, unknown types, misnamed map entries).
import json
import queue
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, json_format, message_factory

RPC_TIMEOUT_S = 15
F = descriptor_pb2.FieldDescriptorProto


def message_class(descriptor):
    """The generated-at-run-time class of a message descriptor (protobuf 4.21 and later)."""
    if hasattr(message_factory, "GetMessageClass"):
        return message_factory.GetMessageClass(descriptor)
    return message_factory.MessageFactory(descriptor.file.pool).GetPrototype(descriptor)


def reflection_file(version):
    """grpc/reflection/<version>/reflection.proto's messages, written out from the published protocol."""
    pkg = "grpc.reflection." + version
    fdp = descriptor_pb2.FileDescriptorProto(name="client/grpc/reflection/%s/reflection.proto" % version, package=pkg, syntax="proto3")

    def message(name, fields, oneofs=()):
        m = fdp.message_type.add(name=name)
        for o in oneofs:
            m.oneof_decl.add(name=o)
        for fname, number, ftype, extra in fields:
            f = m.field.add(name=fname, number=number, type=ftype, label=extra.get("label", F.LABEL_OPTIONAL))
            if "type_name" in extra:
                f.type_name = "." + pkg + "." + extra["type_name"]
            if "oneof" in extra:
                f.oneof_index = extra["oneof"]

    message("ServerReflectionRequest", [
        ("host", 1, F.TYPE_STRING, {}),
        ("file_by_filename", 3, F.TYPE_STRING, {"oneof": 0}),
        ("file_containing_symbol", 4, F.TYPE_STRING, {"oneof": 0}),
        ("file_containing_extension", 5, F.TYPE_MESSAGE, {"oneof": 0, "type_name": "ExtensionRequest"}),
        ("all_extension_numbers_of_type", 6, F.TYPE_STRING, {"oneof": 0}),
        ("list_services", 7, F.TYPE_STRING, {"oneof": 0}),
    ], oneofs=["message_request"])
    message("ExtensionRequest", [("containing_type", 1, F.TYPE_STRING, {}), ("extension_number", 2, F.TYPE_INT32, {})])
    message("ServerReflectionResponse", [
        ("valid_host", 1, F.TYPE_STRING, {}),
        ("original_request", 2, F.TYPE_MESSAGE, {"type_name": "ServerReflectionRequest"}),
        ("file_descriptor_response", 4, F.TYPE_MESSAGE, {"oneof": 0, "type_name": "FileDescriptorResponse"}),
        ("all_extension_numbers_response", 5, F.TYPE_MESSAGE, {"oneof": 0, "type_name": "ExtensionNumberResponse"}),
        ("list_services_response", 6, F.TYPE_MESSAGE, {"oneof": 0, "type_name": "ListServiceResponse"}),
        ("error_response", 7, F.TYPE_MESSAGE, {"oneof": 0, "type_name": "ErrorResponse"}),
    ], oneofs=["message_response"])
    message("FileDescriptorResponse", [("file_descriptor_proto", 1, F.TYPE_BYTES, {"label": F.LABEL_REPEATED})])
    message("ExtensionNumberResponse", [("base_type_name", 1, F.TYPE_STRING, {}), ("extension_number", 2, F.TYPE_INT32, {"label": F.LABEL_REPEATED})])
    message("ListServiceResponse", [("service", 1, F.TYPE_MESSAGE, {"label": F.LABEL_REPEATED, "type_name": "ServiceResponse"})])
    message("ServiceResponse", [("name", 1, F.TYPE_STRING, {})])
    message("ErrorResponse", [("error_code", 1, F.TYPE_INT32, {}), ("error_message", 2, F.TYPE_STRING, {})])
    pool = descriptor_pool.DescriptorPool()
    pool.Add(fdp)
    return (message_class(pool.FindMessageTypeByName(pkg + ".ServerReflectionRequest")),
            message_class(pool.FindMessageTypeByName(pkg + ".ServerReflectionResponse")))


class Reflector:
    """One ServerReflectionInfo stream, asked one request at a time."""

    def __init__(self, channel, version):
        self.request_type, response_type = reflection_file(version)
        self.requests = queue.Queue()
        method = "/grpc.reflection.%s.ServerReflection/ServerReflectionInfo" % version
        call = channel.stream_stream(method, request_serializer=self.request_type.SerializeToString, response_deserializer=response_type.FromString)
        self.responses = call(iter(self.requests.get, None), timeout=RPC_TIMEOUT_S * 4)

    def ask(self, **request):
        self.requests.put(self.request_type(**request))
        response = next(self.responses)
        if response.WhichOneof("message_response") == "error_response":
            raise LookupError("reflection %s: %s (code %d)" % (request, response.error_response.error_message, response.error_response.error_code))
        return response

    def close(self):
        self.requests.put(None)


class Resolver:
    """A DescriptorPool filled only from what reflection sent, each file after the files it imports."""

    def __init__(self, reflector):
        self.reflector = reflector
        self.pool = descriptor_pool.DescriptorPool()
        self.received = {}  # file name -> FileDescriptorProto bytes
        self.loaded = set()

    def files(self, **request):
        """Ask, keep every file sent, add them to the pool; return the names in the order sent."""
        names = []
        for raw in self.reflector.ask(**request).file_descriptor_response.file_descriptor_proto:
            fdp = descriptor_pb2.FileDescriptorProto.FromString(raw)
            self.received.setdefault(fdp.name, raw)
            names.append(fdp.name)
        for name in names:
            self.load(name, ())
        return names

    def load(self, name, chain):
        if name in self.loaded:
            return
        if name in chain:
            raise ValueError("import cycle: %s" % " -> ".join(chain + (name,)))
        if name not in self.received:
            self.files(file_by_filename=name)  # not sent along: ask for it by name
        for dep in descriptor_pb2.FileDescriptorProto.FromString(self.received[name]).dependency:
            self.load(dep, chain + (name,))
        self.pool.AddSerializedFile(self.received[name])
        self.loaded.add(name)


def streaming(service_descriptor, method_name):
    fdp = descriptor_pb2.FileDescriptorProto()
    service_descriptor.file.CopyToProto(fdp)
    service = next(s for s in fdp.service if s.name == service_descriptor.name)
    method = next(m for m in service.method if m.name == method_name)
    return method.client_streaming, method.server_streaming


def call(channel, service_descriptor, method_name, request_json):
    """Call one method with a request made from the reflected descriptors; one response is read."""
    method = service_descriptor.FindMethodByName(method_name)
    if method is None:
        raise LookupError("%s has no method %s" % (service_descriptor.full_name, method_name))
    request_type, response_type = message_class(method.input_type), message_class(method.output_type)
    request = json_format.ParseDict(request_json, request_type())
    path = "/%s/%s" % (service_descriptor.full_name, method_name)
    kwargs = dict(request_serializer=request_type.SerializeToString, response_deserializer=response_type.FromString)
    client_streaming, server_streaming = streaming(service_descriptor, method_name)
    kind = {(False, False): channel.unary_unary, (False, True): channel.unary_stream,
            (True, False): channel.stream_unary, (True, True): channel.stream_stream}[(client_streaming, server_streaming)]
    try:
        answer = kind(path, **kwargs)(iter([request]) if client_streaming else request, timeout=RPC_TIMEOUT_S)
        if server_streaming:
            response = next(answer, None)
            answer.cancel()
            if response is None:  # the stream ended OK without a message
                return {"method": method_name, "code": "OK", "response": None}
        else:
            response = answer
    except grpc.RpcError as err:
        return {"method": method_name, "code": err.code().name, "details": err.details()}
    return {"method": method_name, "response": json_format.MessageToDict(response, preserving_proto_field_name=True)}


def map_fields(messages):
    """Full names of the map fields of `messages` and of the messages nested in them."""
    found = []
    for message in messages:
        found += ["%s.%s" % (message.full_name, f.name) for f in message.fields if f.message_type is not None and f.message_type.GetOptions().map_entry]
        found += map_fields(message.nested_types)
    return found


def main(target, calls):
    report = {"services": [], "files": {}, "methods": {}, "maps": [], "calls": {}, "v1alpha_services": []}
    with grpc.insecure_channel(target) as channel:
        reflector = Reflector(channel, "v1")
        resolver = Resolver(reflector)
        report["services"] = [s.name for s in reflector.ask(list_services="*").list_services_response.service]
        for name in report["services"]:
            sent = resolver.files(file_containing_symbol=name)
            service = resolver.pool.FindServiceByName(name)
            file_name = service.file.name
            if sent[0] != file_name:
                raise ValueError("%s: FileContainingSymbol sent %s first, but the service is in %s" % (name, sent[0], file_name))
            if resolver.files(file_by_filename=file_name)[0] != file_name:
                raise ValueError("%s: FileByFilename(%s) answered another file first" % (name, file_name))
            report["files"][name] = file_name
            report["methods"][name] = []
            for method in service.methods:
                first = resolver.files(file_containing_symbol=method.full_name)[0]
                if first != file_name:
                    raise ValueError("%s: FileContainingSymbol sent %s, not %s" % (method.full_name, first, file_name))
                for message in (method.input_type, method.output_type):
                    resolver.pool.FindMessageTypeByName(message.full_name)
                report["methods"][name].append(method.name)
            report["maps"] += map_fields(service.file.message_types_by_name.values())
            if name not in calls:
                raise LookupError("%s is listed but the test gave no call for it" % name)
            method_name, request_json = calls[name]
            report["calls"][name] = call(channel, service, method_name, request_json)
        reflector.close()
        alpha = Reflector(channel, "v1alpha")
        report["v1alpha_services"] = [s.name for s in alpha.ask(list_services="*").list_services_response.service]
        alpha.close()
    report["maps"] = sorted(set(report["maps"]))
    json.dump(report, sys.stdout, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: reflection-client.py TARGET CALLS_JSON")
    main(sys.argv[1], json.loads(sys.argv[2]))
